import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { signInFromLocation } from './shell/session.ts';
import './styles.css';

// Before anything renders: a `#token=` link signs in on whatever page it points to.
signInFromLocation();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
