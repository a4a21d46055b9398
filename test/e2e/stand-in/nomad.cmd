@echo off
rem Windows shim for the stand-in nomad (a Node script): desktop VS Code on Windows finds it through PATHEXT.
node "%~dp0nomad" %*
