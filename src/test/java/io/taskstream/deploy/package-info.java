/**
 * Offline checks of what Taskstream deploys: the Helm chart ({@code helm/taskstream}),
 * the Kustomize manifests ({@code k8s/}) and the Dapr resources of the local stack
 * ({@code components/}, {@code dapr-config/}). Real tools do the checking: Helm's engine,
 * kustomize, strict Kubernetes JSON schemas (kubernetes-validate) and the CRDs of Dapr
 * and the Prometheus Operator read from the Go module cache. And what only an API server
 * decides: the chart installed, upgraded, rolled back and uninstalled on a real
 * kube-apiserver with Dapr's sidecar injector as a live webhook
 * ({@code scripts/control-plane}).
 */
package io.taskstream.deploy;
