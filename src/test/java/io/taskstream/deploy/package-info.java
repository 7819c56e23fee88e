/**
 * Offline checks of what Taskstream deploys: the Helm chart ({@code helm/taskstream}),
 * the Kustomize manifests ({@code k8s/}) and the Dapr resources of the local stack
 * ({@code components/}, {@code dapr-config/}). Real tools do the checking: Helm's engine,
 * kustomize, strict Kubernetes JSON schemas (kubernetes-validate) and the CRDs of Dapr
 * and the Prometheus Operator read from the Go module cache.
 */
package io.taskstream.deploy;
