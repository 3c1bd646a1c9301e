#pragma once

/// Runs the real `gamelightd` binary as a child process for tests that need a
/// separate process (kill -9, signals, command line).

#include <cstdio>
#include <optional>
#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace gamelight::test {

class daemon_process {
public:
  /// Starts gamelightd with `args`; `env` entries are "NAME=value".
  daemon_process(std::vector<std::string> args, std::vector<std::string> env = {}) {
    int fds[2];
    if (::pipe(fds) != 0)
      return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      for (auto& e : env)
        ::putenv(e.data());
      std::vector<char*> argv;
      std::string path = GAMELIGHTD_PATH;
      argv.push_back(path.data());
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(path.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    stderr_ = ::fdopen(fds[0], "r");
  }

  ~daemon_process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stderr_ != nullptr)
      ::fclose(stderr_);
  }

  /// Reads stderr until the `listening on http://ADDR:PORT` line; returns the port.
  std::optional<int> wait_listening() {
    char line[1024];
    while (stderr_ != nullptr && std::fgets(line, sizeof(line), stderr_) != nullptr) {
      output_ += line;
      std::string text{line};
      auto pos = text.find("listening on http://");
      if (pos == std::string::npos)
        continue;
      auto colon = text.rfind(':');
      return std::stoi(text.substr(colon + 1));
    }
    return std::nullopt;
  }

  /// Reads the rest of stderr (until the process closes it).
  const std::string& read_all() {
    char line[1024];
    while (stderr_ != nullptr && std::fgets(line, sizeof(line), stderr_) != nullptr)
      output_ += line;
    return output_;
  }

  /// Returns the child's process id.
  [[nodiscard]] pid_t pid() const noexcept {
    return pid_;
  }

  /// Sends a signal.
  void signal(int sig) {
    ::kill(pid_, sig);
  }

  /// Waits for the process to end; returns its exit code, or 128 + signal.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exited_ = true;
    if (WIFEXITED(status))
      return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
  }

private:
  pid_t pid_ = -1;
  FILE* stderr_ = nullptr;
  bool exited_ = false;
  std::string output_;
};

} // namespace gamelight::test
