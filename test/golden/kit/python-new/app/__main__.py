# my-app: a minimal app served on port 8000.
print("hello from my-app")
