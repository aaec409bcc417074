/**
 * Scan a resident pass: the rear camera reads its QR code, the pass is checked on the phone
 * (signature, revocation, expiry — no network needed) and a good one goes to the form. A bad
 * one is refused with the reason and nothing is filled. When the camera fails, the guard types
 * the pass number instead. Lazy-loaded: only a Scan tap brings this code (and jsQR) in.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { formatPassId, normalizePassId } from '../../../shared/passes';
import { localToday } from '../../db';
import { common } from '../../i18n/common';
import { formatDate, useLocale, useT } from '../../i18n/i18n';
import { checkPassNumber, checkPassText, type PassCheck } from '../../passes/pass-check';
import type { ScannerProps } from '../../passes/scanner';
import { openRearCamera, stopCamera } from './camera';
import { createDecoder, type FrameDecoder } from './decoder';
import { messages } from './messages';
import './scan.css';

/** Pause between two reads of the camera. */
const SCAN_INTERVAL_MS = 120;

type Failed = Extract<PassCheck, { ok: false }> & { number?: string };
type CameraState = 'starting' | 'on' | 'failed';

export default function ScanDialog({ onPass, onClose }: ScannerProps) {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<CameraState>('starting');
  const [decoderKind, setDecoderKind] = useState<FrameDecoder['kind'] | undefined>();
  const [failed, setFailed] = useState<Failed | null>(null);
  const [typed, setTyped] = useState('');
  const [checking, setChecking] = useState(false);
  /** Reading stops while a result is being checked or a refusal is shown. */
  const paused = useRef(false);
  const typedBox = useRef<HTMLInputElement>(null);
  const onPassRef = useRef(onPass);
  useEffect(() => {
    onPassRef.current = onPass;
  }, [onPass]);

  const settle = useCallback((check: PassCheck, number?: string) => {
    if (check.ok) {
      onPassRef.current(check.pass);
      return;
    }
    setFailed({ ...check, ...(number !== undefined && { number }) });
  }, []);

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      try {
        stream = await openRearCamera();
        if (stopped) return stopCamera(stream);
        const el = video.current;
        if (!el) return;
        el.srcObject = stream;
        await el.play().catch(() => undefined);
        const decoder = await createDecoder();
        if (stopped) return;
        setDecoderKind(decoder.kind);
        setCamera('on');
        const tick = async () => {
          if (stopped) return;
          if (!paused.current) {
            const text = await decoder.decode(el).catch(() => null);
            if (text && !stopped && !paused.current) {
              paused.current = true;
              const check = await checkPassText(text, localToday());
              if (stopped) return;
              settle(check);
            }
          }
          timer = setTimeout(() => void tick(), SCAN_INTERVAL_MS);
        };
        void tick();
      } catch {
        if (stopped) return;
        setCamera('failed');
        typedBox.current?.focus();
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stopCamera(stream);
    };
  }, [settle]);

  const checkTyped = async () => {
    if (!typed.trim() || checking) return;
    paused.current = true;
    setChecking(true);
    try {
      settle(
        await checkPassNumber(typed, localToday()),
        formatPassId(normalizePassId(typed) ?? typed.trim()),
      );
    } finally {
      setChecking(false);
    }
  };

  const scanAgain = () => {
    setFailed(null);
    paused.current = false;
  };

  const onTypedKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      // This sits inside the entry form: Enter must check the number, not save the entry.
      e.preventDefault();
      void checkTyped();
    }
  };

  return (
    <div
      className="scan-dialog"
      role="dialog"
      aria-modal="true"
      aria-label={t('title')}
      data-camera={camera}
      data-decoder={decoderKind}
    >
      <h2>{t('title')}</h2>
      {failed ? (
        <div className="scan-problem" role="alert">
          <p>
            {t(`problem.${failed.problem}`, {
              date: failed.pass ? formatDate(failed.pass.validUntil, locale) : '',
              number: failed.number ?? '',
            })}
          </p>
          {failed.pass && failed.problem !== 'forged' && (
            <p>{t('who', { name: failed.pass.name, address: failed.pass.address })}</p>
          )}
          <button type="button" className="btn block" onClick={scanAgain}>
            {t('scanAgain')}
          </button>
        </div>
      ) : (
        <p role="status">
          {camera === 'starting' ? t('starting') : camera === 'on' ? t('aim') : t('cameraFailed')}
        </p>
      )}
      <div className="scan-view" hidden={camera === 'failed'}>
        <video ref={video} muted playsInline autoPlay aria-hidden="true" />
      </div>
      <div className="field">
        <label htmlFor="scan-pass-number">{t('passNumber')}</label>
        <input
          id="scan-pass-number"
          ref={typedBox}
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          placeholder={t('passNumberHint')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={onTypedKey}
        />
      </div>
      <div className="row">
        <button type="button" className="btn" onClick={onClose}>
          {t('close')}
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={checking}
          onClick={() => void checkTyped()}
        >
          {checking ? t('checking') : t('check')}
        </button>
      </div>
    </div>
  );
}
