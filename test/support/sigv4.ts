/**
 * Checks an AWS Signature Version 4 the way AWS does, from the request as received: rebuild the
 * canonical request from the signed headers, derive the signing key from the secret, compare.
 * Reference: AWS IAM user guide, "Create a signed AWS API request" (canonical request, string to
 * sign, signing key). Non-S3 services sign the path URI-encoded a second time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SignedRequest {
  method: string;
  /** The path exactly as received (already URI-encoded once by the client). */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export function verifySigV4(request: SignedRequest, secretAccessKey: string): boolean {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  const amzDate = request.headers['x-amz-date'];
  if (!match || typeof amzDate !== 'string' || !amzDate.startsWith(match[2]!)) return false;
  // The payload hash the client declared must be the body's: a body changed after signing fails.
  const declared = request.headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== sha256(request.body)) return false;
  const [, , date, region, service, signedHeaders, signature] = match as unknown as string[];
  const scope = `${date}/${region}/${service}/aws4_request`;
  const canonical = canonicalRequest(request, signedHeaders!);
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = [date!, region!, service!, 'aws4_request'].reduce<Buffer>(
    (previous, part) => hmac(previous, part),
    Buffer.from(`AWS4${secretAccessKey}`),
  );
  const expected = hmac(key, toSign).toString('hex');
  return timingSafeEqual(Buffer.from(expected), Buffer.from(signature!));
}

function canonicalRequest(request: SignedRequest, signedHeaders: string): string {
  const [path, query = ''] = request.path.split('?');
  const names = signedHeaders.split(';');
  const headers = names.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join('');
  return [
    request.method,
    path!.split('/').map(encodeSegment).join('/'),
    query.split('&').filter(Boolean).sort().join('&'),
    headers,
    signedHeaders,
    sha256(request.body),
  ].join('\n');
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded, `%` included. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function headerValue(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text.trim().replace(/\s+/g, ' ');
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
