@echo off
rem Windows shim for the stand-in session-manager-plugin (a Node script).
node "%~dp0session-manager-plugin" %*
