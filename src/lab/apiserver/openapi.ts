// A minimal OpenAPI v3 index: just enough for kubectl to see that every PATCH endpoint takes the
// fieldValidation parameter, so it leaves validation to the server instead of downloading schemas.

import { RESOURCES } from './resources.js';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** /openapi/v3: one entry per served group/version. */
export function openApiRoot(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const def of RESOURCES) {
    for (const v of def.versions) {
      const p = gvPath(def.group, v);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=lab` };
    }
  }
  return { paths };
}

/** /openapi/v3/<api/v1 | apis/g/v>: PATCH operations tagged with their GVK and fieldValidation. */
export function openApiGroupVersion(pathname: string): unknown | undefined {
  const rest = pathname.replace(/^\/openapi\/v3\//, '');
  const defs = RESOURCES.filter((d) => d.versions.some((v) => gvPath(d.group, v) === rest));
  if (defs.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const def of defs) {
    const version = def.versions.find((v) => gvPath(def.group, v) === rest) ?? '';
    const scope = def.namespaced ? 'namespaces/{namespace}/' : '';
    paths[`/${rest}/${scope}${def.resource}/{name}`] = {
      patch: {
        operationId: `patch${def.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: def.group, version, kind: def.kind },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}
