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

{{/*
What each role publishes (as in components/): tasks the task events; audit may republish
one (dead-letter redrive) and replays stored ones on task.replay; each subscriber's sidecar
publishes its own dead letters (Dapr publishes them with the subscriber's publishing scope).
*/}}
{{- define "taskstream.publications" -}}
{"tasks":["task.created","task.updated","task.deleted","task.completed"],
 "analytics":["task.deadletter"],
 "notifications":["task.deadletter"],
 "audit":["task.created","task.updated","task.deleted","task.completed","task.deadletter","task.replay"]}
{{- end -}}

{{/*
The access model of the event bus, the one source of who may do what on Kafka: for each
app-id (the four roles, then externalSubscribers) the topics it writes, the topics it reads
and its consumer group (the component's consumerGroup is "{appID}": the app-id itself).
The component's publishingScopes and subscriptionScopes, the Strimzi KafkaUsers and the MSK
IAM policies all render from it; docs/kafka-security.md states it as a table, and
KafkaAccessChartTests checks every rendering against that table. An external subscriber
reads its topics and writes only task.deadletter (its sidecar dead-letters what its app
cannot take), never a task event.
*/}}
{{- define "taskstream.kafkaAccess" -}}
{{- $publications := include "taskstream.publications" . | fromJson -}}
{{- $subscriptions := include "taskstream.subscriptions" . | fromJson -}}
{{- $access := list -}}
{{- range $role := list "tasks" "analytics" "notifications" "audit" -}}
{{- $access = append $access (dict "appId" $role "write" (get $publications $role) "read" (get $subscriptions $role) "role" true) -}}
{{- end -}}
{{- $seen := list "tasks" "analytics" "notifications" "audit" -}}
{{- range $subscriber := $.Values.externalSubscribers -}}
{{- if has $subscriber.appId $seen -}}
{{- fail (printf "\n\nexternalSubscribers: the app-id %s is taken (by a role or another external subscriber); each subscriber needs its own app-id, which is its consumer group." $subscriber.appId) -}}
{{- end -}}
{{- $seen = append $seen $subscriber.appId -}}
{{- $access = append $access (dict "appId" $subscriber.appId "write" (list "task.deadletter") "read" $subscriber.topics "role" false) -}}
{{- end -}}
{{- toJson $access -}}
{{- end -}}

{{/* The access model of the app-ids this release runs or admits: enabled roles and external subscribers. */}}
{{- define "taskstream.activeKafkaAccess" -}}
{{- $enabled := include "taskstream.enabledRoles" . | fromJsonArray -}}
{{- $active := list -}}
{{- range $entry := include "taskstream.kafkaAccess" . | fromJsonArray -}}
{{- if or (not $entry.role) (has $entry.appId $enabled) -}}
{{- $active = append $active $entry -}}
{{- end -}}
{{- end -}}
{{- toJson $active -}}
{{- end -}}

{{/* The service account the pods run as. */}}
{{- define "taskstream.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "taskstream.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The service account a role's pods run as: its own when serviceAccount.perRole names it. Call with (dict "root" $ "role" "tasks"). */}}
{{- define "taskstream.roleServiceAccountName" -}}
{{- if hasKey .root.Values.serviceAccount.perRole .role -}}
{{- printf "%s-%s" (include "taskstream.fullname" .root) .role -}}
{{- else -}}
{{- include "taskstream.serviceAccountName" .root -}}
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

{{/*
The front door's route table, the one source of what is public: each /api/v1 prefix and the
role that serves it, and /schemas. Streams (Server-Sent Events) get the long timeout. HTTPRoute and
Ingress both render from it; FrontDoorChartTests checks it against the controllers'
mappings in src/main/java, so the two cannot drift. Nothing else is routed: not /actuator
(the management port), /dapr (sidecar deliveries) or /dev.
*/}}
{{- define "taskstream.routes" -}}
- {path: /api/v1/tasks, role: tasks}
- {path: /api/v1/events/stream, role: audit, stream: true}
- {path: /api/v1/events, role: audit}
- {path: /api/v1/deadletters, role: audit}
- {path: /api/v1/replay, role: audit}
- {path: /api/v1/analytics, role: analytics}
- {path: /api/v1/notifications/stream, role: notifications, stream: true}
- {path: /api/v1/notifications, role: notifications}
- {path: /api/v1/webhooks, role: notifications}
{{- /* The public contract documents (task-event schema, AsyncAPI), no token needed. Every
role serves the same files; tasks answers for all. Not /v3/api-docs or Swagger UI: each
role documents only its own API there, so one route could not serve them all. */}}
- {path: /schemas, role: tasks}
{{- end -}}

{{/* The routes of the enabled roles, as a JSON list. */}}
{{- define "taskstream.enabledRoutes" -}}
{{- $enabled := include "taskstream.enabledRoles" . | fromJsonArray -}}
{{- $routes := list -}}
{{- range $route := include "taskstream.routes" . | fromYamlArray -}}
{{- if has $route.role $enabled -}}
{{- $routes = append $routes $route -}}
{{- end -}}
{{- end -}}
{{- toJson $routes -}}
{{- end -}}

{{/*
The app's identity settings (Spring Boot's resource-server properties and the app's own).
The dev issuer is pinned off: a chart install trusts only a real identity provider's
signatures, and values.schema.json has no value that could turn it on.
*/}}
{{- define "taskstream.identityEnv" -}}
{{- $id := .Values.identity -}}
{{- if not (or $id.issuerUri $id.jwkSetUri) }}
{{- fail "\n\nidentity.issuerUri (or identity.jwkSetUri) is required: the OAuth 2.0 issuer whose tokens the API accepts (docs/deployment.md lists Cognito, Google and Entra ID)." }}
{{- end }}
{{- if not $id.audiences }}
{{- fail "\n\nidentity.audiences is required: the `aud` values the API accepts (e.g. your app client id)." }}
{{- end }}
{{- with $id.issuerUri }}
- name: SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI
  value: {{ . | quote }}
{{- end }}
{{- with $id.jwkSetUri }}
- name: SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI
  value: {{ . | quote }}
{{- end }}
- name: SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES
  value: {{ join "," $id.audiences | quote }}
- name: TASKSTREAM_IDENTITY_USER_CLAIM
  value: {{ $id.userClaim | quote }}
- name: TASKSTREAM_IDENTITY_OPERATOR_SCOPE
  value: {{ $id.operatorScope | quote }}
- name: TASKSTREAM_IDENTITY_ROLES_CLAIM
  value: {{ $id.rolesClaim | quote }}
{{- with $id.operatorRole }}
- name: TASKSTREAM_IDENTITY_OPERATOR_ROLE
  value: {{ . | quote }}
{{- end }}
- name: TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED
  value: "false"
{{- end -}}

{{/*
Fails when the Dapr CRDs are missing. Every template that needs another CRD checks this
one first, so a cluster without Dapr always hears about Dapr first (Helm renders the
templates in reverse name order).
*/}}
{{- define "taskstream.requireDaprCrds" -}}
{{- if .Values.requireCrds }}
{{- range $api := list "dapr.io/v1alpha1/Component" "dapr.io/v1alpha1/Configuration" "dapr.io/v1alpha1/Resiliency" "dapr.io/v2alpha1/Subscription" }}
{{- if not ($.Capabilities.APIVersions.Has $api) }}
{{- fail (printf "\n\nThe Dapr CRDs are not installed on this cluster (%s is missing).\nInstall the Dapr control plane first, then Taskstream:\n  helm upgrade --install dapr dapr/dapr --version 1.18.3 --namespace dapr-system --create-namespace --wait \\\n    --set dapr_sidecar_injector.sidecarDropALLCapabilities=true\n(without that flag, PodSecurity \"restricted\" refuses every pod: the injected daprd keeps its capabilities)\nTo render offline, pass --api-versions %s (or set requireCrds=false)." $api $api) }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- /*
The spec of the sidecars' Configuration without access control: tracing, features and
metrics, shared by the common Configuration and audit's (templates/dapr.yaml).
*/ -}}
{{- define "taskstream.daprConfigurationSpec" -}}
tracing:
  samplingRate: {{ .Values.dapr.tracingSamplingRate | quote }}
  {{- with include "taskstream.zipkinEndpoint" . }}
  zipkin:
    endpointAddress: {{ . | quote }}
  {{- end }}
# Hot reload restarts a sidecar's subscriptions every minute when subscriptions scoped
# to other apps are loaded (daprd 1.18); resources change only with a deploy here.
features:
  - name: HotReload
    enabled: false
metrics:
  enabled: true
  http:
    increasedCardinality: false
{{- end }}
