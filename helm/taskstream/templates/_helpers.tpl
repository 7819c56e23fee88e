{{/* The release's base name: "<release>-taskstream", or the release name if it says taskstream. */}}
{{- define "taskstream.fullname" -}}
{{- if contains "taskstream" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-taskstream" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries; "component" names the role or part. Call with (dict "root" $ "component" "tasks"). */}}
{{- define "taskstream.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: taskstream
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "taskstream.selectorLabels" . }}
{{- end -}}

{{/* The labels a Deployment, Service or policy selects its pods by. */}}
{{- define "taskstream.selectorLabels" -}}
app.kubernetes.io/name: taskstream
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The roles that are enabled, as a list of names in a fixed order. */}}
{{- define "taskstream.enabledRoles" -}}
{{- $roles := list -}}
{{- range $name := list "tasks" "analytics" "notifications" "audit" -}}
{{- if (index $.Values.roles $name).enabled -}}
{{- $roles = append $roles $name -}}
{{- end -}}
{{- end -}}
{{- toJson $roles -}}
{{- end -}}

{{/* What each role subscribes to (as in components/). */}}
{{- define "taskstream.subscriptions" -}}
{"tasks":[],
 "analytics":["task.created","task.updated","task.deleted","task.completed","task.replay"],
 "notifications":["task.created","task.updated","task.deleted","task.completed","task.replay"],
 "audit":["task.created","task.updated","task.deleted","task.completed","task.deadletter","task.replay"]}
{{- end -}}

{{/* The service account the pods run as. */}}
{{- define "taskstream.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "taskstream.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Kafka bootstrap servers the component uses. */}}
{{- define "taskstream.kafkaBrokers" -}}
{{- if eq .Values.kafka.mode "inChart" -}}
{{- $fullname := include "taskstream.fullname" . -}}
{{- $brokers := list -}}
{{- range $i := until (int .Values.kafka.inChart.replicas) -}}
{{- $brokers = append $brokers (printf "%s-kafka-%d.%s-kafka-headless.%s.svc.cluster.local:9092" $fullname $i $fullname $.Release.Namespace) -}}
{{- end -}}
{{- join "," $brokers -}}
{{- else -}}
{{- required "kafka.brokers is required when kafka.mode is external (e.g. b-1.msk.example:9098)" .Values.kafka.brokers -}}
{{- end -}}
{{- end -}}

{{/* Where spans go: the in-chart Zipkin, the external endpoint, or nowhere (empty). */}}
{{- define "taskstream.zipkinEndpoint" -}}
{{- if .Values.zipkin.inChart.enabled -}}
{{- printf "http://%s-zipkin.%s.svc.cluster.local:9411/api/v2/spans" (include "taskstream.fullname" .) .Release.Namespace -}}
{{- else -}}
{{- .Values.zipkin.endpoint -}}
{{- end -}}
{{- end -}}

{{/* The pods' security context: non-root, RuntimeDefault seccomp. */}}
{{- define "taskstream.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* A container's security context: read-only root, no privilege escalation, no capabilities. */}}
{{- define "taskstream.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
{{- end -}}

{{/* The image reference of the app. */}}
{{- define "taskstream.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
