/** The committee page's entry (src/app/committee/index.html, built apart: see vite.config.ts). */
// The shared look first, so the page's own rules (imported with it below) come after it.
import '../ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CommitteePage } from '../features/committee/committee-app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CommitteePage />
  </StrictMode>,
);
