#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the modules below on disk (in NODE_COMPILE_CACHE, else
// the temp directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off): later runs skip compiling them.
// Node 20 has no such cache; there this does nothing. The import is dynamic so that it comes after.
module.enableCompileCache?.();
await import('../dist/src/cli/main.js');
