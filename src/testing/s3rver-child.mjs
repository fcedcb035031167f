// The s3rver process that src/testing/s3-server.ts starts (with --openssl-legacy-provider; see
// there). Arguments: the directory to store objects in and a bucket to create. It prints
// `{"port":N}` once listening, then answers JSON commands on stdin, one per line, and exits when
// stdin closes (so it cannot outlive the test process).
//
// S3 makes an object visible only once its whole body has arrived (and matches the signed
// x-amz-content-sha256), so a client killed mid-upload leaves nothing behind. s3rver streams the
// body straight into the object's final file, so a killed upload would leave a truncated object
// under a valid key, which tests of crash safety must not see. Here objects and multipart parts
// are written to a temp file and renamed into place only when the body is complete.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error.js';

const [directory, bucket] = process.argv.slice(2);
const log = [];
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});

// Requests being handled, for `settle`: outermost, so a request counts until it is answered.
let inFlight = 0;
server.middleware.unshift(async (_ctx, next) => {
  inFlight += 1;
  try {
    await next();
  } finally {
    inFlight -= 1;
  }
});

/**
 * Resolves once no request has been in progress for 50 ms: a killed client's last upload may
 * still be completing (the server got its whole body), as it would on S3.
 */
async function settle() {
  for (let quiet = 0; quiet < 2;) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    quiet = inFlight === 0 ? quiet + 1 : 0;
  }
}

const store = server.store;
store.putObject = async function putObject(object) {
  const file = this.getResourcePath(object.bucket, object.key, 'object');
  const { size, md5 } = await writeWhole(file, object.content);
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size, md5 };
};
store.putPart = async function putPart(bucket, uploadId, partNumber, content) {
  const uploads = this.getResourcePath(bucket, undefined, 'uploads');
  const file = join(uploads, uploadId, String(partNumber));
  const { size, md5 } = await writeWhole(file, content);
  await writeFile(`${file}.md5`, md5);
  return { size, md5 };
};

/**
 * Writes `content` (a request body, another stream or a Buffer) to `file` through a temp file in
 * the same directory, renamed into place only when the body is complete: a request body must end
 * normally, with as many bytes as its Content-Length and the SHA-256 it was signed with (when it
 * names one). Returns the size and MD5 (s3rver's ETag).
 */
async function writeWhole(file, content) {
  await mkdir(dirname(file), { recursive: true });
  // Not `._S3rver_object`: listings never show it.
  const temp = `${file}.${randomBytes(6).toString('hex')}.partial`;
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      Buffer.isBuffer(content) ? Readable.from([content]) : content,
      new Transform({
        transform(chunk, _encoding, done) {
          md5.update(chunk);
          sha256.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(temp),
    );
    if (content instanceof IncomingMessage) checkBody(content.headers, size, sha256.digest('hex'));
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    // A client that went away mid-body gets no answer; S3 calls that an incomplete body.
    if (content instanceof IncomingMessage && !content.complete) throw incompleteBody();
    throw err;
  }
  return { size, md5: md5.digest('hex') };
}

function checkBody(headers, size, sha256) {
  const length = headers['content-length'];
  if (length !== undefined && Number(length) !== size) throw incompleteBody();
  const signed = headers['x-amz-content-sha256'];
  if (/^[0-9a-f]{64}$/i.test(signed ?? '') && signed.toLowerCase() !== sha256) {
    const err = new S3Error(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: signed, S3ComputedContentSHA256: sha256 },
    );
    err.status = 400;
    err.expose = true;
    throw err;
  }
}

function incompleteBody() {
  return new S3Error(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header.',
  );
}

const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
server.run().then(
  (address) => {
    server.httpServer.on('request', (req) => log.push({ method: req.method, url: req.url }));
    send({ port: address.port });
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

const commands = createInterface({ input: process.stdin });
commands.on('line', async (line) => {
  const { id, op, name } = JSON.parse(line);
  try {
    if (op === 'requests') send({ id, result: log });
    else if (op === 'settle') {
      await settle();
      send({ id, result: null });
    } else if (op === 'clear') {
      log.length = 0;
      send({ id, result: null });
    } else if (op === 'createBucket') {
      await store.putBucket(name);
      send({ id, result: name });
    } else send({ id, error: `unknown op ${op}` });
  } catch (err) {
    send({ id, error: String(err?.stack ?? err) });
  }
});
commands.on('close', () => {
  if (!server.httpServer) process.exit(0);
  server.httpServer.closeAllConnections();
  server.close().finally(() => process.exit(0));
});
