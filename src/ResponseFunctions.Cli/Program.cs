using ResponseFunctions.Cli.Commands;

// responsefunctions drill ...   run a containment on the simulated tenant (or, with --tenant live, on a real one)
// responsefunctions sim serve   serve the simulated tenant on loopback, for the Functions app run locally
return await CommandLine.RunAsync(args, Console.In, Console.Out, Console.Error, CancellationToken.None);
