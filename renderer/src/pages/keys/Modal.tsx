import { useLayoutEffect, useRef, type ReactNode } from 'react';

interface Props {
  labelledBy: string;
  describedBy?: string;
  onClose: () => void;
  testId?: string;
  children: ReactNode;
}

/**
 * A native modal <dialog>: the browser traps focus, makes the page behind it inert, and closes it
 * on Escape (routed to onClose so the owner's state decides). Open while mounted.
 */
export function Modal({ labelledBy, describedBy, onClose, testId, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  // A layout effect, so the cleanup closes the dialog while it is still in the document and the
  // browser can hand focus back to the button that opened it.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      data-testid={testId}
    >
      {children}
    </dialog>
  );
}
