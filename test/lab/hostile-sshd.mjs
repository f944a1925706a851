// A hostile "sshd" for the lab, run with node inside the namespaces:
//   node hostile-sshd.mjs MODE PORT CONFIG_BASE64_JSON
// Each mode attacks what ssh-doctor prints or advises; the test (hostile.test.ts) owns the
// hostile strings and passes them in CONFIG, so this file holds none of its own.
//   kexinit     an SSH identification, then a KEXINIT whose host key names are cfg.hostKeyNames
//               (the SSH binary packet before NEWKEYS is plain: length, padding length,
//               payload, padding, no MAC)
//   disconnect  an identification, then SSH_MSG_DISCONNECT with cfg.text as its description
//   slowloris   "SSH-2.0-" and more, one byte a second, never a line end
//   megaline    one 1 MB identification line made of cfg.text, then silence
//   auth        a real SSH server (ssh2) with cfg.ident as its identification and cfg.text as
//               its auth banner, refusing every login with cfg.methods as the methods that can
//               continue (host key: cfg.hostKey, a file)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';

const [mode, port, b64] = process.argv.slice(2);
const cfg = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
const IDENT = 'SSH-2.0-OpenSSH_9.2p1\r\n';

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (s) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([u32(b.length), b]);
};

/** RFC 4253 section 6, unencrypted: the whole packet a multiple of 8, at least 4 bytes of padding. */
function packet(payload) {
  let pad = 8 - ((5 + payload.length) % 8);
  if (pad < 4) pad += 8;
  return Buffer.concat([u32(1 + payload.length + pad), Buffer.from([pad]), payload, randomBytes(pad)]);
}

function kexinit(hostKeyNames) {
  const lists = [
    'curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group14-sha256',
    hostKeyNames.join(','),
    'aes128-ctr,aes256-ctr',
    'aes128-ctr,aes256-ctr',
    'hmac-sha2-256',
    'hmac-sha2-256',
    'none',
    'none',
    '',
    '',
  ];
  return packet(Buffer.concat([Buffer.from([20]), randomBytes(16), ...lists.map(str), Buffer.from([0]), u32(0)]));
}

function disconnect(text) {
  return packet(Buffer.concat([Buffer.from([1]), u32(2), str(text), str('')]));
}

/** Raw modes: one handler per connection; every socket ends within 20 s whatever the client does. */
function raw(onConnection) {
  net
    .createServer((s) => {
      s.on('error', () => {});
      const timers = [];
      s.on('close', () => timers.forEach(clearInterval));
      timers.push(setTimeout(() => s.destroy(), 20_000));
      onConnection(s, timers);
    })
    .listen(Number(port), '127.0.0.1');
}

const modes = {
  kexinit: () => raw((s) => s.write(Buffer.concat([Buffer.from(IDENT), kexinit(cfg.hostKeyNames)]))),
  disconnect: () => raw((s) => s.end(Buffer.concat([Buffer.from(IDENT), disconnect(cfg.text)]))),
  slowloris: () =>
    raw((s, timers) => {
      const bytes = Buffer.from(`SSH-2.0-${'x'.repeat(1000)}`);
      let i = 0;
      timers.push(setInterval(() => s.write(bytes.subarray(i, ++i)), 1000));
    }),
  megaline: () =>
    raw((s) => {
      const unit = Buffer.from(cfg.text, 'utf8');
      const line = Buffer.alloc(1024 * 1024, unit);
      s.write(Buffer.concat([Buffer.from('SSH-2.0-'), line, Buffer.from('\r\n')]));
    }),
  auth: () => {
    // ssh2 comes with the project (node-ssh's engine): load it from the checkout.
    const { Server } = createRequire(new URL('../../package.json', import.meta.url))('ssh2');
    new Server({ hostKeys: [readFileSync(cfg.hostKey)], ident: cfg.ident, banner: cfg.text }, (client) => {
      client.on('error', () => {});
      client.on('authentication', (ctx) => ctx.reject(cfg.methods));
    }).listen(Number(port), '127.0.0.1');
  },
};

modes[mode]();
