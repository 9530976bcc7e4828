import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

document.documentElement.lang = 'zh-CN';

/**
 * The app routes in the URL hash (react-admin's default), so the API's static file server needs no SPA
 * fallback: /#/login, /#/register, /#/my-organisation. A path-style link (/register) that reaches this
 * page anyway is moved into the hash.
 */
const { pathname, search, hash } = window.location;
if (pathname !== '/' && pathname !== '/index.html' && !hash) {
  window.history.replaceState(null, '', `/${search}#${pathname}`);
}

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
