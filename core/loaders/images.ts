import { createRequire } from 'node:module';
import type bmpJs from 'bmp-js';
import type Sharp from 'sharp';

// libvips and the BMP decoder load on first use: only images and scanned pages need them.
const requireLazily = createRequire(import.meta.url);
const bmp = { decode: (bytes: Buffer) => (requireLazily('bmp-js') as typeof bmpJs).decode(bytes) };
const sharp = (...args: Parameters<typeof Sharp>): Sharp.Sharp => (requireLazily('sharp') as typeof Sharp)(...args);

/** Images larger than this (pixels on the long side) are scaled down before OCR: bigger only costs time. */
const MAX_OCR_SIDE = 4000;

/** Any supported image (PNG, JPEG, WebP, BMP) as a PNG buffer OCR engines accept. Throws when it cannot be decoded. */
export async function toOcrPng(bytes: Buffer, isBmp: boolean): Promise<Buffer> {
  const image = isBmp ? fromBmp(bytes) : sharp(bytes, { failOn: 'error' });
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new Error('the image has no size');
  const longSide = Math.max(meta.width, meta.height);
  const resized =
    longSide > MAX_OCR_SIDE
      ? image.resize({
          width: meta.width >= meta.height ? MAX_OCR_SIDE : undefined,
          height: meta.height > meta.width ? MAX_OCR_SIDE : undefined,
        })
      : image;
  return resized.flatten({ background: '#ffffff' }).png().toBuffer();
}

/** Raw pixels (as PDF image extraction yields them) as a PNG. */
export function rawPixelsToPng(
  data: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
): Promise<Buffer> {
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels } })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}

/** libvips has no BMP reader; bmp-js yields ABGR pixels, reordered here to RGB. */
function fromBmp(bytes: Buffer): Sharp.Sharp {
  const decoded = bmp.decode(bytes);
  const rgb = Buffer.alloc(decoded.width * decoded.height * 3);
  for (let pixel = 0; pixel < decoded.width * decoded.height; pixel++) {
    rgb[pixel * 3] = decoded.data[pixel * 4 + 3]!;
    rgb[pixel * 3 + 1] = decoded.data[pixel * 4 + 2]!;
    rgb[pixel * 3 + 2] = decoded.data[pixel * 4 + 1]!;
  }
  return sharp(rgb, { raw: { width: decoded.width, height: decoded.height, channels: 3 } });
}
