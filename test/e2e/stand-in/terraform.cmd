@echo off
rem Windows shim for the stand-in terraform (a Node script): desktop VS Code on Windows finds it through PATHEXT.
node "%~dp0terraform" %*
