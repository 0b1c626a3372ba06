#!/bin/sh
# azd postdeploy hook: loads a dataset (data/beijing.json unless given) into the deployed API through
# POST /api/v1/import, authorized with the app's default function key (fetched with the az CLI).
# Importing is idempotent: what is already stored is reported unchanged.
# With Front Door on (AZURE_FRONT_DOOR_URL set), the app answers Front Door alone, so the import goes through it.
# Outside azd: AZURE_RESOURCE_GROUP=... AZURE_FUNCTION_APP_NAME=... [AZURE_FRONT_DOOR_URL=...] sh infra/hooks/postdeploy.sh [file]
set -eu

dataset="${1:-data/beijing.json}"
: "${AZURE_RESOURCE_GROUP:?AZURE_RESOURCE_GROUP is not set (azd sets it from the deployment outputs)}"
: "${AZURE_FUNCTION_APP_NAME:?AZURE_FUNCTION_APP_NAME is not set (azd sets it from the deployment outputs)}"

# A freshly deployed app may answer 404 or 5xx until its functions are loaded, and a new Front Door endpoint
# for some minutes more: retry a bounded number of times, 15 s apart.
if [ -n "${AZURE_FRONT_DOOR_URL:-}" ]; then
  base="${AZURE_FRONT_DOOR_URL%/}"
  attempts=40
else
  host=$(az functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query defaultHostName --output tsv)
  base="https://${host}"
  attempts=10
fi
key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
  --query functionKeys.default --output tsv)
url="${base}/api/v1/import"
body=$(mktemp)
trap 'rm -f "$body"' EXIT

attempt=1
while :; do
  status=$(curl --silent --show-error --max-time 120 --output "$body" --write-out '%{http_code}' \
    --request POST --header "x-functions-key: ${key}" --header 'Content-Type: application/json' \
    --data-binary "@${dataset}" "$url") || status=000
  case "$status" in
    2??)
      echo "Imported ${dataset} into ${base}:"
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
  if [ "$attempt" -ge "$attempts" ]; then
    echo "POST ${url} failed with HTTP ${status} after ${attempt} attempts:" >&2
    cat "$body" >&2
    exit 1
  fi
  echo "POST ${url}: HTTP ${status}; retrying in 15 s (${attempt}/${attempts})"
  attempt=$((attempt + 1))
  sleep 15
done
