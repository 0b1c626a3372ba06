# azd postdeploy hook: loads a dataset (data/beijing.json unless given) into the deployed API through
# POST /api/v1/import, authorized with the app's default function key (fetched with the az CLI).
# Importing is idempotent: what is already stored is reported unchanged.
# With Front Door on (AZURE_FRONT_DOOR_URL set), the app answers Front Door alone, so the import goes through it.
param([string]$Dataset = 'data/beijing.json')
$ErrorActionPreference = 'Stop'

if (-not $env:AZURE_RESOURCE_GROUP -or -not $env:AZURE_FUNCTION_APP_NAME) {
    throw 'AZURE_RESOURCE_GROUP and AZURE_FUNCTION_APP_NAME must be set (azd sets them from the deployment outputs)'
}

# A freshly deployed app may answer 404 or 5xx until its functions are loaded, and a new Front Door endpoint
# for some minutes more: retry a bounded number of times, 15 s apart.
if ($env:AZURE_FRONT_DOOR_URL) {
    $base = $env:AZURE_FRONT_DOOR_URL.TrimEnd('/')
    $attempts = 40
}
else {
    $appHost = az functionapp show --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME --query defaultHostName --output tsv
    if ($LASTEXITCODE -ne 0) { throw 'az functionapp show failed' }
    $base = "https://$appHost"
    $attempts = 10
}
$key = az functionapp keys list --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME --query functionKeys.default --output tsv
if ($LASTEXITCODE -ne 0) { throw 'az functionapp keys list failed' }
$url = "$base/api/v1/import"
$body = Get-Content -Raw -Path $Dataset

for ($attempt = 1; $attempt -le $attempts; $attempt++) {
    try {
        $response = Invoke-WebRequest -Method Post -Uri $url -Headers @{ 'x-functions-key' = $key } `
            -ContentType 'application/json' -Body $body -TimeoutSec 120 -SkipHttpErrorCheck
        $status = [int]$response.StatusCode
    }
    catch {
        $status = 0
        $response = $null
    }
    if ($status -ge 200 -and $status -lt 300) {
        Write-Host "Imported $Dataset into ${base}:"
        Write-Host $response.Content
        exit 0
    }
    if ($status -in 400, 413, 415, 422) {
        throw "The import of $Dataset was refused (HTTP $status): $($response.Content)"
    }
    if ($attempt -eq $attempts) {
        throw "POST $url failed with HTTP $status after $attempt attempts: $($response.Content)"
    }
    Write-Host "POST ${url}: HTTP $status; retrying in 15 s ($attempt/$attempts)"
    Start-Sleep -Seconds 15
}
