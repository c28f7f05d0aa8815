export default function Home() {
  return (
    <main>
      <h1>my-app is running</h1>
      <p>
        Edit <code>app/page.tsx</code> and save. In Docker: <code>npm run docker:dev</code> for development,{' '}
        <code>npm run docker:build</code> for the production image.
      </p>
    </main>
  );
}
