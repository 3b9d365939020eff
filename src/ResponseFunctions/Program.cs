using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ResponseFunctions.Hosting;

// The isolated worker: the app itself is composed in Hosting/ResponseFunctionsApp.cs (its table of contents), which the tests compose too.
var builder = FunctionsApplication.CreateBuilder(args);
builder.AddResponseFunctions();
builder.Build().Run();
