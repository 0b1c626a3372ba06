#!/bin/sh
# azd postdeploy hook: loads a dataset (data/beijing.json unless given) into the deployed API through
# POST /api/v1/import, authorized with the app's default function key (fetched with the az CLI).
# Importing is idempotent: what is already stored is reported unchanged.
# Outside azd: AZURE_RESOURCE_GROUP=... AZURE_FUNCTION_APP_NAME=... sh infra/hooks/postdeploy.sh [file]
set -eu

dataset="${1:-data/beijing.json}"
: "${AZURE_RESOURCE_GROUP:?AZURE_RESOURCE_GROUP is not set (azd sets it from the deployment outputs)}"
: "${AZURE_FUNCTION_APP_NAME:?AZURE_FUNCTION_APP_NAME is not set (azd sets it from the deployment outputs)}"

host=$(az functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
  --query defaultHostName --output tsv)
key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
  --query functionKeys.default --output tsv)
url="https://${host}/api/v1/import"
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# A freshly deployed app may answer 404 or 5xx until its functions are loaded: retry a bounded number of times.
attempt=1
while :; do
  status=$(curl --silent --show-error --max-time 120 --output "$body" --write-out '%{http_code}' \
    --request POST --header "x-functions-key: ${key}" --header 'Content-Type: application/json' \
    --data-binary "@${dataset}" "$url") || status=000
  case "$status" in
    2??)
      echo "Imported ${dataset} into ${host}:"
      cat "$body"
      echo
      exit 0
      ;;
    400|413|415|422)
      echo "The import of ${dataset} was refused (HTTP ${status}):" >&2
      cat "$body" >&2
      exit 1
      ;;
  esac
  if [ "$attempt" -ge 10 ]; then
    echo "POST ${url} failed with HTTP ${status} after ${attempt} attempts:" >&2
    cat "$body" >&2
    exit 1
  fi
  echo "POST ${url}: HTTP ${status}; retrying in 15 s (${attempt}/10)"
  attempt=$((attempt + 1))
  sleep 15
done
