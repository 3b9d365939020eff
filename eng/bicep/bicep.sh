#!/usr/bin/env bash
# Lints every Bicep file of infra/ and builds infra/main.bicep to ARM JSON with the Bicep CLI from NuGet
# (Azure.Bicep.CommandLine.linux-x64, restored by eng/bicep/Bicep.Cli.csproj). Fails on any warning or error.
set -uo pipefail
cd "$(dirname "$0")/../.."
dotnet restore eng/bicep/Bicep.Cli.csproj > /dev/null || { echo "bicep: restore failed"; exit 1; }
bicep="${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
chmod +x "$bicep"
out=$(mktemp -d)
diagnostics=$( { "$bicep" lint --pattern 'infra/**/*.bicep' && "$bicep" build infra/main.bicep --outfile "$out/main.json"; } 2>&1 )
status=$?
rm -rf "$out"
if [ $status -ne 0 ] || [ -n "$diagnostics" ]; then
  echo "$diagnostics"
  echo "bicep: lint/build failed or warned"
  exit 1
fi
echo "bicep: every file lints clean; main.bicep builds with zero warnings"
