// Placeholder: exposes the control API address and token to the renderer.
export {};
