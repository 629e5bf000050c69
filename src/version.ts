import { readFileSync } from 'node:fs';

// Read once from package.json so recordings name the exact tool version that wrote them.
const pkgUrl = new URL('../../package.json', import.meta.url);
export const TOOL_VERSION: string = (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;
