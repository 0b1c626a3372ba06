// Parameters for a deployment without azd, read from the same environment variables azd uses:
//   az deployment sub create --location "$AZURE_LOCATION" --template-file infra/main.bicep --parameters infra/deploy.bicepparam
// (azd itself reads main.parameters.json.)
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME')
param location = readEnvironmentVariable('AZURE_LOCATION')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param principalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')
param continuationTokenKey = readEnvironmentVariable('API_CONTINUATION_TOKEN_KEY')
param privateNetworking = bool(readEnvironmentVariable('PRIVATE_NETWORKING', 'false'))
param corsAllowedOrigins = json(readEnvironmentVariable('CORS_ALLOWED_ORIGINS', '[]'))
param storageSku = readEnvironmentVariable('STORAGE_SKU', 'Standard_ZRS')
param zoneRedundant = bool(readEnvironmentVariable('ZONE_REDUNDANT', 'true'))
param frontDoor = bool(readEnvironmentVariable('FRONT_DOOR', 'false'))
param frontDoorRateLimitPerMinute = int(readEnvironmentVariable('FRONT_DOOR_RATE_LIMIT', '1000'))
