// src/kube: the one Kubernetes object model, label selectors, kubeconfig loading, the live
// listing and the typed routing model, shared by the watcher, the analysis, lint and the lab.
// (Importing values from here loads @kubernetes/client-node; lazy callers import the file they need.)
export type {
  Container, ContainerState, ContainerStatus, CoreEvent, Deployment, DeploymentSpec, DeploymentStatus, Endpoint, EndpointPort,
  EndpointSlice, KubeObject, LifecycleHandler, ObjectMeta, ObjectReference, OwnerReference, Pod, PodCondition, PodSpec, PodStatus,
  PodTemplate, Probe, Service, ServicePort, ServiceSpec, Time,
} from './object.js';
export { annotationsOf, nameOf, namespaceOf, view } from './object.js';
export type {
  CanaryStrategy, DestinationRule, DestinationRuleSpec, HeaderMatch, HttpBackendRef, HttpMatchRequest, HttpRoute,
  HttpRouteMatch, HttpRouteRule, HttpRouteSpec, Ingress, IngressBackend, IngressPath, IngressRule, IngressSpec,
  IstioDestination, IstioStringMatch, Rollout, RolloutSpec, RolloutStatus, RolloutStep, Subset, TrafficRouting,
  VirtualService, VirtualServiceSpec, VsHttpRoute,
} from './route-objects.js';
export type { Labels, LabelSelector, Operator, Requirement, Selector } from './selector.js';
export {
  fromLabels, fromLabelSelector, labelSelectorMatches, matches, parseSelector, pinnedLabels, selectorString, serviceSelects,
} from './selector.js';
export type { ApiClient, GetResult, StreamEnd } from './api.js';
export { apiClient } from './api.js';
export type { ConfigFailure, ConfigRequest, LoadedConfig } from './kubeconfig.js';
export { kubeConfigOf, loadKubeConfig } from './kubeconfig.js';
export type { Listed, ListTarget } from './list.js';
export { collectionPath, listObjects, listUrl, typedItem, typedItems } from './list.js';
export { listNamespace } from './list-namespace.js';
export type {
  Destination, HostRoutes, MatchKind, Rewrite, Route, RouteMatch, StringMatch, Weighted,
} from './routing/model.js';
export { mapBackends } from './routing/model.js';
export type { Headers, Request } from './routing/select.js';
export { judgeMatch, matchHolds, pickWeighted, routeMatches, selectRoute, shares, stringMatches } from './routing/select.js';
export { destinationWeight, istioMatch, istioString, virtualServiceRoutes, type VsRoutes } from './routing/from-istio.js';
export { httpRouteMatch, httpRouteRoutes } from './routing/from-gateway-api.js';
export { ingressRoutes, type IngressHost } from './routing/from-ingress.js';
export { pathPrefixMatch } from './routing/path-match.js';
export { stepMatches } from './routing/from-rollout.js';
