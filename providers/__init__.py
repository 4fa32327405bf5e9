"""Remote services the server can call: image generators and language models (plain Python, no Django).

`providers.http` is the one HTTP plumbing they share (timeouts, retries, errors);
`providers.images` the image-provider interface and its remote implementations;
`providers.text` an OpenAI-compatible chat-completions client; `providers.enrichment`
the optional language-model pass over the story engine's scenes.
"""
