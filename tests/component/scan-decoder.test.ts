/** The scanner's decoder choice: the browser's BarcodeDetector when it reads QR codes. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDecoder } from '../../src/app/features/scan/decoder';

const g = globalThis as { BarcodeDetector?: unknown };
afterEach(() => {
  delete g.BarcodeDetector;
  vi.restoreAllMocks();
});

function fakeDetector(formats: string[], found: string[]) {
  return class {
    static getSupportedFormats = async () => formats;
    constructor(readonly options: { formats: string[] }) {}
    detect = async () => found.map((rawValue) => ({ rawValue }));
  };
}

const readyVideo = () => {
  const video = document.createElement('video');
  Object.defineProperty(video, 'readyState', { value: 4 });
  return video;
};

describe('createDecoder', () => {
  it('uses BarcodeDetector when the browser has one that reads QR codes', async () => {
    g.BarcodeDetector = fakeDetector(['ean_13', 'qr_code'], ['GP1.x.y']);
    const decoder = await createDecoder();
    expect(decoder.kind).toBe('barcode-detector');
    expect(await decoder.decode(readyVideo())).toBe('GP1.x.y');
    expect(await decoder.decode(document.createElement('video'))).toBeNull();
  });

  it('falls back to jsQR when BarcodeDetector cannot read QR codes', async () => {
    g.BarcodeDetector = fakeDetector(['ean_13'], []);
    // A browser without a 2D canvas (as jsdom, which would also print that it has none): the
    // jsQR path is chosen and says so (the dialog then offers typing).
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => null);
    await expect(createDecoder()).rejects.toThrow('no 2D canvas');
  });
});
