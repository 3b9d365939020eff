# azd postprovision (Windows): same as postprovision.sh.
$ErrorActionPreference = 'Stop'
dotnet run --project ./src/ResponseFunctions.Cli -- setup permissions --identity $env:PLAYBOOK_IDENTITY_OBJECT_ID --tenant live `
  --app-url $env:AZURE_FUNCTION_APP_URL --client-id-out .azure/approval-app-client-id
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
$clientId = (Get-Content .azure/approval-app-client-id -Raw).Trim()
if ($env:APPROVAL_APP_CLIENT_ID -ne $clientId) {
  azd env set APPROVAL_APP_CLIENT_ID $clientId
  Write-Host "The approval app registration is $clientId. Run 'azd provision' once more to turn on sign-in for the approval page."
}
