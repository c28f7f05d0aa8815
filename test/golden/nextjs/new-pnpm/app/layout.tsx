import type { Metadata } from 'next';
import './globals.css';
import { pageTitle } from '../lib/title.mjs';

export const metadata: Metadata = {
  title: pageTitle('my-app'),
  description: 'A Next.js app with a multi-stage Dockerfile',
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
