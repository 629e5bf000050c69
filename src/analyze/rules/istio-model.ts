// Istio host names and route destinations, reduced to plain values the rules compare.
import type { KubeObject, SourcedObject } from '../../types.js';
import { nsOf, sameNs } from './index-objects.js';
import type { HttpRouteDestination, IstioDestination, Subset, VirtualService, VsHttpRoute } from '../../kube/route-objects.js';
import { destinationWeight } from '../../kube/routing/from-istio.js';

/** A service host: `reviews` in namespace `default`; external hosts keep ns '*'. */
export interface HostRef {
  name: string;
  ns: string;
}

// `reviews.default.svc.cluster.local`, `reviews.default.svc`, or any cluster domain after svc.
const FQDN = /^([^.]+)\.([^.]+)\.svc(\..+)?$/;

/** Istio reads a short name relative to the namespace of the object that holds it. */
export function resolveHost(host: string, ns: string): HostRef {
  if (!host.includes('.')) return { name: host, ns };
  const m = FQDN.exec(host);
  if (m) return { name: m[1] ?? host, ns: m[2] ?? ns };
  return { name: host, ns: '*' };
}

export function sameHost(a: HostRef, b: HostRef): boolean {
  if (a.name !== b.name) return false;
  if (a.ns === '*' || b.ns === '*') return a.ns === b.ns;
  return sameNs(a.ns, b.ns);
}

export function showHost(h: HostRef): string {
  return h.ns === '*' || h.ns === '' ? h.name : `${h.name}.${h.ns}`;
}

/** One destination of one route block of a VirtualService. */
export interface RouteDest {
  vs: SourcedObject;
  /** "http[0]", "tcp[1]", "http[0].mirror" */
  where: string;
  host: HostRef;
  subset?: string;
  /** Share of the block's traffic this destination gets, as Istio applies it. */
  weight: number;
}

type Block = { route?: HttpRouteDestination[]; mirror?: IstioDestination };

const blocksOf = (o: VirtualService, proto: 'http' | 'tcp' | 'tls'): Block[] => {
  const blocks: unknown = o.spec?.[proto];
  return Array.isArray(blocks) ? blocks : [];
};

export const routesOf = (block: Block | undefined): HttpRouteDestination[] => (Array.isArray(block?.route) ? block.route : []);

function destsOfBlock(vs: SourcedObject, block: Block, where: string): RouteDest[] {
  const ns = nsOf(vs.obj);
  const routes = routesOf(block);
  const out: RouteDest[] = routes
    .flatMap((r) => (typeof r?.destination?.host === 'string' ? [{ r, host: r.destination.host }] : []))
    .map(({ r, host }) => ({
      vs, where, host: resolveHost(host, ns), subset: r.destination?.subset,
      // a lone destination gets all traffic whatever its weight says (as the routing model reads it)
      weight: destinationWeight(r, routes.length),
    }));
  if (typeof block?.mirror?.host === 'string') {
    out.push({ vs, where: `${where}.mirror`, host: resolveHost(block.mirror.host, ns), subset: block.mirror.subset, weight: 100 });
  }
  return out;
}

export function destinationsOf(vs: SourcedObject): RouteDest[] {
  return (['http', 'tcp', 'tls'] as const).flatMap((proto) =>
    blocksOf(vs.obj, proto).flatMap((b, i) => destsOfBlock(vs, b, `${proto}[${i}]`)));
}

export function httpBlocksOf(vs: SourcedObject): VsHttpRoute[] {
  return blocksOf(vs.obj, 'http');
}

/** The DestinationRules whose host is this host. */
export function rulesForHost(drs: SourcedObject[], host: HostRef): SourcedObject[] {
  return drs.filter((dr) => typeof dr.obj.spec?.host === 'string'
    && sameHost(resolveHost(dr.obj.spec.host, nsOf(dr.obj)), host));
}

export function subsetsOf(dr: SourcedObject): Subset[] {
  return Array.isArray(dr.obj.spec?.subsets) ? dr.obj.spec.subsets : [];
}
