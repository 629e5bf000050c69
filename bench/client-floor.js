#!/usr/bin/env node
// The floor under `probe`: the same open-loop schedule with nothing but an HTTP client — undici's
// Client, node:http, or bare node:net sockets that write a fixed request and take the first bytes
// back as the answer (no parsing: the least any Node client can do) — alternating a keep-alive and a
// fresh connection.
// Prints its own CPU seconds (user+sys, whole process). Compare with bench/probe-cpu.js.
// Usage: node bench/client-floor.js URL [undici|node-http|net] [rps=30] [seconds=10]
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';

const [url, client = 'undici', rpsText = '30', secondsText = '10'] = process.argv.slice(2);
if (!url) throw new Error('usage: node bench/client-floor.js URL [undici|node-http] [rps] [seconds]');
const rps = Number(rpsText);
const total = rps * Number(secondsText);

function undiciSender() {
  const Client = createRequire(import.meta.url)('undici/lib/dispatcher/client.js');
  const pool = new Client(new URL(url).origin, { keepAliveTimeout: 30_000, pipelining: 1 });
  const fresh = new Client(new URL(url).origin, { pipelining: 0 });
  const base = { path: new URL(url).pathname, method: 'GET', headers: [] };
  const handler = { onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd() {}, onResponseError() {} };
  return { send: (n) => (n % 2 ? fresh.dispatch({ ...base, reset: true }, handler) : pool.dispatch(base, handler)), close: () => Promise.all([pool.close(), fresh.close()]) };
}

function nodeHttpSender() {
  const agent = new http.Agent({ keepAlive: true });
  const send = (n) => http.get(url, { agent: n % 2 ? false : agent, headers: n % 2 ? { connection: 'close' } : {} }, (res) => res.resume());
  return { send, close: async () => agent.destroy() };
}

function netSender() {
  const { hostname, port, host, pathname } = new URL(url);
  const request = (keepAlive) => Buffer.from(`GET ${pathname} HTTP/1.1\r\nhost: ${host}\r\nconnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`);
  const [reuse, close] = [request(true), request(false)];
  const idle = [];
  const open = (keep) => {
    const socket = net.connect({ host: hostname, port: Number(port || 80), noDelay: true });
    socket.on('data', () => (keep ? idle.push(socket) : socket.destroy())).on('error', () => undefined);
    return socket;
  };
  const send = (n) => (n % 2 ? open(false).write(close) : (idle.pop() ?? open(true)).write(reuse));
  return { send, close: async () => idle.forEach((s) => s.destroy()) };
}

const sender = client === 'undici' ? undiciSender() : client === 'net' ? netSender() : nodeHttpSender();
const start = performance.now();
let n = 0;
const tick = () => {
  while (n < total && performance.now() >= start + (n * 1000) / rps) sender.send(n++);
  if (n < total) return void setTimeout(tick, Math.max(0, start + (n * 1000) / rps - performance.now()));
  setTimeout(async () => {
    await sender.close();
    const { user, system } = process.cpuUsage();
    console.log(`${client}: ${total} requests at ${rps} rps, ${((user + system) / 1e6).toFixed(2)} CPU s`);
  }, 200);
};
tick();
