/**
 * The long-connection frame (protobuf `pbbp2.Frame`), encoded by hand for the fake server:
 * 1 SeqID, 2 LogID (uint64), 3 service, 4 method (int32; 0 control, 1 data),
 * 5 headers (repeated {1 key, 2 value}), 6 payloadEncoding, 7 payloadType, 8 payload, 9 LogIDNew.
 */
export interface Frame {
  seqId: number;
  logId: number;
  service: number;
  method: number;
  headers: Record<string, string>;
  payload?: Buffer;
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v > 127) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function field(number: number, wireType: 0 | 2, value: Buffer): Buffer {
  const tag = varint(number * 8 + wireType);
  return wireType === 0 ? Buffer.concat([tag, value]) : Buffer.concat([tag, varint(value.length), value]);
}

export function encodeFrame(frame: Frame): Buffer {
  const parts = [
    field(1, 0, varint(frame.seqId)),
    field(2, 0, varint(frame.logId)),
    field(3, 0, varint(frame.service)),
    field(4, 0, varint(frame.method)),
  ];
  for (const [key, value] of Object.entries(frame.headers)) {
    parts.push(field(5, 2, Buffer.concat([field(1, 2, Buffer.from(key)), field(2, 2, Buffer.from(value))])));
  }
  if (frame.payload) parts.push(field(8, 2, frame.payload));
  return Buffer.concat(parts);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buf[this.pos++] as number;
      result += (byte & 127) * scale;
      if (byte < 128) return result;
      scale *= 128;
    }
  }
  bytes(): Buffer {
    const length = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

function decodeHeader(buf: Buffer): [string, string] {
  const reader = new Reader(buf);
  let key = '';
  let value = '';
  while (!reader.done) {
    const tag = reader.varint();
    const text = reader.bytes().toString('utf8');
    if (tag >> 3 === 1) key = text;
    else value = text;
  }
  return [key, value];
}

export function decodeFrame(buf: Buffer): Frame {
  const reader = new Reader(buf);
  const frame: Frame = { seqId: 0, logId: 0, service: 0, method: 0, headers: {} };
  while (!reader.done) {
    const tag = reader.varint();
    const number = tag >> 3;
    if ((tag & 7) === 0) {
      const value = reader.varint();
      if (number === 1) frame.seqId = value;
      else if (number === 2) frame.logId = value;
      else if (number === 3) frame.service = value;
      else if (number === 4) frame.method = value;
      continue;
    }
    const bytes = reader.bytes();
    if (number === 5) {
      const [key, value] = decodeHeader(bytes);
      frame.headers[key] = value;
    } else if (number === 8) {
      frame.payload = Buffer.from(bytes);
    }
  }
  return frame;
}
