/// <reference types="vite/client" />
// CSS imports are bundled by Vite; this tells tsc about them.
