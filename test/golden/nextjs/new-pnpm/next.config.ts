import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Emit .next/standalone: a minimal server with only the files it needs,
  // which is what the production image copies.
  output: 'standalone',
};

export default nextConfig;
