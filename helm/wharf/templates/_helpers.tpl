{{/* Name of the chart, shortened to what Kubernetes allows in a label */}}
{{- define "wharf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base name of every object of the release */}}
{{- define "wharf.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "wharf.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: wharf
{{- end }}

{{/* Selector labels of a component: pass (dict "ctx" $ "component" "registry") */}}
{{- define "wharf.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wharf.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "wharf.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret that holds passwords and keys: the user's, or the chart's */}}
{{- define "wharf.secretName" -}}
{{- default (include "wharf.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "wharf.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "wharf.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wharf.minio.fullname" -}}
{{- printf "%s-minio" (include "wharf.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* JDBC URL: the bundled PostgreSQL's, or database.url */}}
{{- define "wharf.databaseUrl" -}}
{{- if .Values.postgresql.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "wharf.postgresql.fullname" .) .Values.postgresql.database }}
{{- else }}
{{- required "database.url is required when postgresql.enabled=false" .Values.database.url }}
{{- end }}
{{- end }}

{{/* S3 endpoint: the bundled MinIO's, or storage.minio.endpoint */}}
{{- define "wharf.minioEndpoint" -}}
{{- if .Values.minio.enabled }}
{{- printf "http://%s:9000" (include "wharf.minio.fullname" .) }}
{{- else }}
{{- required "storage.minio.endpoint is required when storage.driver=minio and minio.enabled=false" .Values.storage.minio.endpoint }}
{{- end }}
{{- end }}

{{/* The URL clients use: externalUrl, else the ingress host */}}
{{- define "wharf.externalUrl" -}}
{{- if .Values.externalUrl }}
{{- .Values.externalUrl | trimSuffix "/" }}
{{- else if .Values.ingress.enabled }}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host }}
{{- end }}
{{- end }}

{{/* "true" when the Prometheus operator's objects may be rendered */}}
{{- define "wharf.monitoringApi" -}}
{{- if or (not .Values.metrics.requireOperatorApi) (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") }}true{{ end }}
{{- end }}

{{/*
A secret value: the one given, else on an upgrade the one already stored in the release's Secret (so
generated values survive upgrades), else a new random one. The cluster is asked only on upgrades: an
install has nothing to keep, and `helm template` has no cluster to ask.
Pass (dict "ctx" $ "key" "database-password" "value" .Values.database.password).
*/}}
{{- define "wharf.secretValue" -}}
{{- $existing := dict }}
{{- if .ctx.Release.IsUpgrade }}
{{- $existing = lookup "v1" "Secret" .ctx.Release.Namespace (include "wharf.fullname" .ctx) | default dict }}
{{- end }}
{{- if .value }}
{{- .value | b64enc }}
{{- else if and $existing (hasKey $existing.data .key) }}
{{- index $existing.data .key }}
{{- else if eq .key "secret-key" }}
{{- randAlphaNum 32 | b64enc | b64enc }}
{{- else if eq .key "admin-password" }}
{{- printf "%sAa1" (randAlphaNum 20) | b64enc }}
{{- else }}
{{- randAlphaNum 24 | b64enc }}
{{- end }}
{{- end }}
