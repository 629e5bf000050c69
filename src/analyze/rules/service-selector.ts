// A Service that selects on the version label sends all traffic to one version.
import type { Finding } from '../../types.js';
import { finding, type Rule } from './rule.js';

const VERSION_KEYS = ['version', 'app.kubernetes.io/version'];

export const svcSelectsVersion: Rule = {
  id: 'svc-selects-version',
  severity: 'warning',
  title: 'Service selects on the version label',
  description: 'A Service whose selector includes `version` pins all of its traffic to one '
    + 'version: the new version never receives a request through it, and deleting the old one '
    + 'leaves it with no endpoints. Select on `app` only and split versions with routing '
    + '(subsets, weights). A Service named after the version it selects (`reviews-v2`) is '
    + 'taken as a deliberate per-version Service and reported as info.',
  bad: `apiVersion: v1
kind: Service
metadata: {name: helloworld}
spec:
  selector: {app: helloworld, version: v1}
  ports: [{port: 5000}]
`,
  good: `apiVersion: v1
kind: Service
metadata: {name: helloworld}
spec:
  selector: {app: helloworld}
  ports: [{port: 5000}]
`,
  check(ix) {
    const out: Finding[] = [];
    for (const svc of ix.services) {
      const selector: Record<string, unknown> = svc.obj.spec?.selector ?? {};
      const key = VERSION_KEYS.find((k) => selector[k] !== undefined);
      if (key === undefined) continue;
      const value = String(selector[key]);
      const deliberate = (svc.obj.metadata?.name ?? '').endsWith(`-${value}`);
      out.push(finding(this.id, deliberate ? 'info' : this.severity, svc,
        `selector ${key}=${value} pins this Service to one version; a new version gets no traffic through it`,
        `select on the app label only (remove "${key}" from spec.selector) and split versions with routing`));
    }
    return out;
  },
};
