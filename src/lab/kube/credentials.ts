// Service-account signing keys and the static token file the apiserver authenticates users with.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TokenUser {
  name: string;
  token: string;
  groups: string[];
}

export interface Credentials {
  serviceAccountKey: string;
  serviceAccountPub: string;
  tokenFile: string;
  admin: TokenUser;
  controllerManager: TokenUser;
  restricted: TokenUser;
}

/** The restricted user's name; RBAC for it is in rbac.ts. */
export const RESTRICTED_USER = 'zdprobe-restricted';

const newToken = (): string => randomBytes(24).toString('hex');

// token,user,uid,"group1,group2" — the --token-auth-file CSV format.
const tokenLine = (u: TokenUser): string => `${u.token},${u.name},${u.name},"${u.groups.join(',')}"`;

export function writeCredentials(dir: string): Credentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountKey = join(dir, 'sa.key');
  const serviceAccountPub = join(dir, 'sa.pub');
  writeFileSync(serviceAccountKey, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(serviceAccountPub, publicKey.export({ type: 'spki', format: 'pem' }));
  const admin = { name: 'zdprobe-admin', token: newToken(), groups: ['system:masters'] };
  // system:masters so the controllers may act with the manager's own credentials.
  const controllerManager = {
    name: 'system:kube-controller-manager',
    token: newToken(),
    groups: ['system:masters'],
  };
  const restricted = { name: RESTRICTED_USER, token: newToken(), groups: [] };
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, [admin, controllerManager, restricted].map(tokenLine).join('\n') + '\n', {
    mode: 0o600,
  });
  return { serviceAccountKey, serviceAccountPub, tokenFile, admin, controllerManager, restricted };
}
