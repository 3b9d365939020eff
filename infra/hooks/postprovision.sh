#!/bin/sh
# azd postprovision: grant the playbook identity what Bicep cannot (README "Deploy"). Runs as the person deploying
# (az / azd sign-in): Privileged Role Administrator and Application Administrator (or Global Administrator).
set -eu
cli="dotnet run --project ./src/ResponseFunctions.Cli --"
$cli setup permissions --identity "$PLAYBOOK_IDENTITY_OBJECT_ID" --tenant live \
  --app-url "$AZURE_FUNCTION_APP_URL" --client-id-out .azure/approval-app-client-id
client_id=$(cat .azure/approval-app-client-id)
if [ "${APPROVAL_APP_CLIENT_ID:-}" != "$client_id" ]; then
  azd env set APPROVAL_APP_CLIENT_ID "$client_id"
  echo "The approval app registration is $client_id. Run 'azd provision' once more to turn on sign-in for the approval page."
fi
