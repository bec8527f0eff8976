#include "error_state.h"
#include "streams.h"

namespace aclcpu {

Stream::Stream(uint32_t id, uint32_t contextId, int32_t device)
    : id_(id), contextId_(contextId), device_(device), worker_([this] { Run(); }) {}

Stream::~Stream() { Stop(); }

bool Stream::Enqueue(Task task) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return false;
        queue_.push_back(std::move(task));
    }
    wake_.notify_one();
    return true;
}

aclError Stream::Synchronize(const char* function) {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
    aclError error = firstError_;
    if (error != ACL_SUCCESS) {
        Failf(error, "%s: an operation queued on stream %u failed: %s", function, id_, firstErrorMessage_.c_str());
        firstError_ = ACL_SUCCESS;
        firstErrorMessage_.clear();
    }
    return error;
}

void Stream::Stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    std::lock_guard<std::mutex> joinLock(joinMutex_);
    if (!worker_.joinable()) return;
    // Tasks never own their stream, so the last reference cannot drop on the worker; detach just in case.
    if (worker_.get_id() == std::this_thread::get_id()) {
        worker_.detach();
    } else {
        worker_.join();
    }
}

void Stream::Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) break;  // stopping and drained
        Task task = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        aclError status = Guarded("stream task", [&] { return task(); });
        std::string message = status == ACL_SUCCESS ? std::string() : RecentError();
        task = nullptr;  // release captured resources before reporting idle
        lock.lock();
        busy_ = false;
        if (status != ACL_SUCCESS && firstError_ == ACL_SUCCESS) {
            firstError_ = status;
            firstErrorMessage_ = message;
        }
        if (queue_.empty()) idle_.notify_all();
    }
    idle_.notify_all();
}

}  // namespace aclcpu
