// src/kube: the one Kubernetes object model, label selectors, kubeconfig loading, the live
// listing and the typed routing model, shared by the watcher, the analysis, lint and the lab.
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
