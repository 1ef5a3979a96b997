#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

int main() {
    std::vector<std::string> words = {"stage", "multi", "small", "image", "build"};
    std::sort(words.begin(), words.end());
    std::string joined;
    for (const auto &w : words)
        joined += (joined.empty() ? "" : " ") + w;
    std::cout << "sorted: " << joined << "\n";
    std::cout << "count: " << words.size() << "\n";
    return 0;
}
