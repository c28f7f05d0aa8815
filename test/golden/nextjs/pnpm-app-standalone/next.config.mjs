// Deliberately not a standalone build: create-multistage must fall back to
// `next start` with production node_modules for this app.
/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  poweredByHeader: false,
};

export default nextConfig;
