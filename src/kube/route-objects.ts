// Typed views of the objects that route traffic: Ingress, Istio VirtualService and
// DestinationRule, Gateway API HTTPRoute, and the Kruise and Argo Rollout fields we read.
import type { Labels, LabelSelector } from './selector.js';
import type { KubeObject, PodTemplate } from './object.js';

// ---- networking.k8s.io/v1 Ingress ----
export interface IngressBackend {
  service?: { name?: string; port?: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: IngressPath[] };
}

export interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  rules?: IngressRule[];
}

export type Ingress = KubeObject<IngressSpec>;

// ---- networking.istio.io VirtualService ----
/** Istio StringMatch: exactly one of exact, prefix, regex (RE2, full match). */
export interface IstioStringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HttpMatchRequest {
  name?: string;
  uri?: IstioStringMatch;
  method?: IstioStringMatch;
  headers?: Record<string, IstioStringMatch>;
  ignoreUriCase?: boolean;
  /** Other keys (port, sourceLabels, queryParams, ...): a request we cannot judge. */
  [other: string]: unknown;
}

export interface IstioDestination {
  host?: string;
  subset?: string;
  port?: { number?: number };
}

export interface HttpRouteDestination {
  destination?: IstioDestination;
  weight?: number;
}

export interface VsHttpRoute {
  name?: string;
  match?: HttpMatchRequest[];
  route?: HttpRouteDestination[];
  mirror?: IstioDestination;
  rewrite?: { uri?: string };
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string };
  timeout?: string;
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: VsHttpRoute[];
  tcp?: Array<{ route?: HttpRouteDestination[] }>;
  tls?: Array<{ route?: HttpRouteDestination[] }>;
}

export type VirtualService = KubeObject<VirtualServiceSpec>;

// ---- networking.istio.io DestinationRule ----
export interface Subset {
  name?: string;
  labels?: Labels;
  trafficPolicy?: TrafficPolicy;
}

export interface TrafficPolicy {
  outlierDetection?: Record<string, unknown>;
  connectionPool?: Record<string, unknown>;
  loadBalancer?: Record<string, unknown>;
}

export interface DestinationRuleSpec {
  host?: string;
  subsets?: Subset[];
  trafficPolicy?: TrafficPolicy;
}

export type DestinationRule = KubeObject<DestinationRuleSpec>;

// ---- gateway.networking.k8s.io HTTPRoute ----
export interface HttpRouteMatch {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string };
  headers?: Array<{ type?: 'Exact' | 'RegularExpression'; name: string; value: string }>;
  method?: string;
}

export interface HttpBackendRef {
  name?: string;
  namespace?: string;
  port?: number;
  weight?: number;
}

export interface HttpRouteRule {
  matches?: HttpRouteMatch[];
  backendRefs?: HttpBackendRef[];
  filters?: Array<{
    type?: string;
    urlRewrite?: { path?: { type?: string; replaceFullPath?: string; replacePrefixMatch?: string } };
  }>;
}

export interface HttpRouteSpec {
  hostnames?: string[];
  parentRefs?: Array<{ name?: string; namespace?: string }>;
  rules?: HttpRouteRule[];
}

export type HttpRoute = KubeObject<HttpRouteSpec>;

// ---- Kruise (rollouts.kruise.io) and Argo (argoproj.io) Rollout ----
export interface HeaderMatch {
  type?: 'Exact' | 'RegularExpression' | 'Prefix';
  name: string;
  value: string;
}

export interface RolloutStep {
  /** Kruise: "20%". */
  traffic?: string;
  replicas?: number | string;
  matches?: Array<{ headers?: HeaderMatch[] }>;
  pause?: { duration?: number | string };
  /** Argo. */
  setWeight?: number;
  setCanaryScale?: Record<string, unknown>;
}

export interface TrafficRouting {
  service?: string;
  gracePeriodSeconds?: number;
  ingress?: { name?: string; classType?: string };
  gateway?: { httpRouteName?: string };
  customNetworkRefs?: Array<{ apiVersion: string; kind: string; name: string }>;
  networkRefs?: Array<{ apiVersion: string; kind: string; name: string }>;
}

export interface CanaryStrategy {
  steps?: RolloutStep[];
  /** Kruise. */
  trafficRoutings?: TrafficRouting[];
  /** Argo. */
  stableService?: string;
  canaryService?: string;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  trafficRouting?: Record<string, unknown>;
}

export interface RolloutSpec {
  workloadRef?: { apiVersion?: string; kind?: string; name: string };
  /** Argo, without workloadRef: its own selector and template. */
  selector?: LabelSelector;
  template?: PodTemplate;
  replicas?: number;
  paused?: boolean;
  strategy?: {
    canary?: CanaryStrategy;
    blueGreen?: { activeService?: string; previewService?: string; autoPromotionEnabled?: boolean };
  };
}

export interface RolloutStatus {
  observedGeneration?: number | string;
  phase?: string;
  message?: string;
  stableRevision?: string;
  currentStepIndex?: number;
  currentStepState?: string;
  canaryStatus?: {
    canaryRevision?: string;
    currentStepIndex?: number;
    currentStepState?: string;
    canaryReplicas?: number;
    canaryReadyReplicas?: number;
    finalisingStep?: string;
    message?: string;
  };
  /** Argo. */
  currentPodHash?: string;
  stableRS?: string;
  canary?: { weights?: { canary?: { weight?: number }; stable?: { weight?: number } } };
}

export type Rollout = KubeObject<RolloutSpec, RolloutStatus>;
