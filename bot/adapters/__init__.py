"""Platform adapters: translate, dispatch, render. No logic of their own."""
