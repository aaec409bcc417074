/**
 * Reading a QR code off the camera: the browser's own BarcodeDetector where it has one (Android
 * Chrome), else jsQR, loaded only then (its chunk is precached, so this works offline too).
 */

/** Reads the QR code in the current video frame, or null. */
export interface FrameDecoder {
  kind: 'barcode-detector' | 'jsqr';
  decode(video: HTMLVideoElement): Promise<string | null>;
}

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** Frames are scaled down to this width for jsQR: faster, and a pass card still fits. */
const JSQR_MAX_WIDTH_PX = 800;

async function barcodeDetector(): Promise<FrameDecoder | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector) return undefined;
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return undefined;
    const detector = new Detector({ formats: ['qr_code'] });
    return {
      kind: 'barcode-detector',
      async decode(video) {
        if (video.readyState < 2) return null;
        const found = await detector.detect(video);
        return found[0]?.rawValue ?? null;
      },
    };
  } catch {
    return undefined;
  }
}

async function jsqrDecoder(): Promise<FrameDecoder> {
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas');
  return {
    kind: 'jsqr',
    async decode(video) {
      if (video.readyState < 2 || video.videoWidth === 0) return null;
      const scale = Math.min(1, JSQR_MAX_WIDTH_PX / video.videoWidth);
      const w = Math.round(video.videoWidth * scale);
      const h = Math.round(video.videoHeight * scale);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      context.drawImage(video, 0, 0, w, h);
      const image = context.getImageData(0, 0, w, h);
      return jsQR(image.data, w, h, { inversionAttempts: 'dontInvert' })?.data || null;
    },
  };
}

/** The best decoder this browser has. */
export async function createDecoder(): Promise<FrameDecoder> {
  return (await barcodeDetector()) ?? jsqrDecoder();
}
