// Preloaded into a probe run by bench/probe-cpu.js (node --import): writes the process's CPU seconds
// (user+sys, every thread) when undici creates its first request, to the file in ZD_CPU_MARKS.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const file = process.env.ZD_CPU_MARKS;
const onFirst = () => {
  unsubscribe('undici:request:create', onFirst);
  const { user, system } = process.cpuUsage();
  if (file) writeFileSync(file, `${(user + system) / 1e6}\n`);
};
subscribe('undici:request:create', onFirst);
