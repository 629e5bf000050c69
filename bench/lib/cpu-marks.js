// Preloaded into a probe run by bench/probe-cpu.js (node --import): writes the process's CPU seconds
// (user+sys, every thread) when the first request is made (zdprobe's HTTP/1.1 sender, or undici over
// TLS), to the file in ZD_CPU_MARKS.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';

const CHANNELS = ['zdprobe:h1:first-write', 'undici:request:create'];
const file = process.env.ZD_CPU_MARKS;
const onFirst = () => {
  for (const name of CHANNELS) unsubscribe(name, onFirst);
  const { user, system } = process.cpuUsage();
  if (file) writeFileSync(file, `${(user + system) / 1e6}\n`);
};
for (const name of CHANNELS) subscribe(name, onFirst);
