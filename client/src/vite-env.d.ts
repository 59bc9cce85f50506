/**
 * Vite's client types for tsc: CSS imports (main.ts imports ol.css and style.css) are bundled by
 * Vite, and this reference tells tsc that such imports exist.
 */
/// <reference types="vite/client" />
