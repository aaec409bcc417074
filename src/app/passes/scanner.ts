/**
 * The seam between the checkpoint and the scan feature: features never import each other, so
 * app.tsx hands the scanner to the checkpoint as a component with these props.
 */
import type { VerifiedPass } from './pass-check';

export interface ScannerProps {
  /** A pass that passed every check; the scanner is closed by the caller. */
  onPass: (pass: VerifiedPass) => void;
  onClose: () => void;
}
