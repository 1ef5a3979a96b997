;;; dlint.el --- dlint's language server for Dockerfiles via Eglot  -*- lexical-binding: t; -*-

;; Load it from your init file: (load "/path/to/dlint/editors/emacs/dlint.el")
;; Eglot is built into Emacs 29+; on older Emacs install it from GNU ELPA.
;; The major modes are `dockerfile-mode' (MELPA) and Emacs 29's `dockerfile-ts-mode'.

;;; Code:

(require 'eglot)

;; Ahead of Eglot's own entry for these modes (docker-langserver).
(add-to-list 'eglot-server-programs
             '((dockerfile-mode dockerfile-ts-mode) . ("dlint" "lsp")))

;; Start the server in every Dockerfile buffer.
(add-hook 'dockerfile-mode-hook #'eglot-ensure)
(add-hook 'dockerfile-ts-mode-hook #'eglot-ensure)

(provide 'dlint)
;;; dlint.el ends here
