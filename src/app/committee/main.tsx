/** The committee page's entry (src/app/committee/index.html, built apart: see vite.config.ts). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CommitteePage } from '../features/committee/committee-app';
import '../ui/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CommitteePage />
  </StrictMode>,
);
